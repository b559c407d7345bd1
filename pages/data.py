"""Data: load the month's export (check, then import), history, templates, the record format."""
import streamlit as st

from ui import data, export, fmt, imports, labels, page, signin
from ui.i18n import _
from ui.meta import meta

user, f = page.start("data")
CHECKED = "data_checked"

tab_import, tab_history, tab_complete, tab_format = st.tabs(
    [_("Import"), _("Import history"), _("Completeness"), _("Record format and templates")])

with tab_import:
    st.markdown(_("Upload the programme's records: one CSV or Parquet file per table "
                  "(`mentees.csv`, `duos.csv`, …) or one Excel workbook with a sheet per table. "
                  "The files are checked first; nothing changes until you confirm."))
    uploads = st.file_uploader(_("Files"), type=list(imports.ALLOWED_TYPES), accept_multiple_files=True,
                               key="data_uploads")
    problem = imports.upload_problem(uploads)
    if problem and uploads:
        st.caption(problem)
    if st.button(_("Check the files"), disabled=problem is not None, type="primary", key="data_check"):
        previous = st.session_state.pop(CHECKED, None)
        if previous is not None:
            previous.cleanup()
        bar = st.progress(0.0, text=_("Checking…"))
        checked = imports.check(uploads, progress=lambda x, _m="": bar.progress(min(max(float(x), 0.0), 1.0),
                                                                                   text=_("Checking…")))
        bar.empty()
        st.session_state[CHECKED] = checked

    checked = st.session_state.get(CHECKED)
    if checked is not None and not checked.imported:
        st.subheader(_("Validation report"))
        st.caption(_("Files: {names}").format(names=", ".join(checked.files)))
        if checked.stopped:
            st.error(_("These files cannot be imported; nothing was changed.") + "\n\n"
                     + imports.message(checked.stopped))
        else:
            result = checked.result
            counts = imports.issue_counts(result)
            cols = st.columns(3)
            for col, (severity, label) in zip(cols, imports.SEVERITY_LABELS.items()):
                col.metric(_(label), fmt.integer(counts.get(severity, 0)))
            st.dataframe(imports.counts_table(result), hide_index=True)
            for severity, label in imports.SEVERITY_LABELS.items():
                if counts.get(severity):
                    with st.expander(_(label) + f" ({fmt.integer(counts[severity])})",
                                     expanded=severity == "rejected"):
                        st.dataframe(imports.issues_table(result, severity), hide_index=True)
            if counts.get("rejected"):
                rejected = imports.rejected_downloads(checked)
                if rejected:
                    st.markdown("**" + _("The rejected rows, to correct and check again") + "**")
                    st.caption(_("Each row as it was in your file, with its row number, the column and the "
                                 "reason at the end."))
                    cols = st.columns(len(rejected) + 1)
                    for col, (table, frame) in zip(cols, rejected.items()):
                        col.download_button(_("{table}: rejected rows (CSV)").format(table=table),
                                            imports.rejected_csv(frame), file_name=f"{table}-rejected.csv",
                                            mime="text/csv", icon=":material/download:", key=f"rej_csv_{table}")
                    cols[-1].download_button(
                        _("All rejected rows (Excel)"), imports.rejected_xlsx(rejected), file_name="rejected-rows.xlsx",
                        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                        icon=":material/download:", key="rej_xlsx")
                st.warning(_("Rejected rows will not be imported; the other rows will. "
                             "Fix the rows in your export and check again, or import the rest now."))
            if st.button(_("Import now (replaces the current data)"), type="primary", key="data_confirm"):
                bar = st.progress(0.0, text=_("Importing…"))
                imports.do_import(checked, progress=lambda x, _m="": bar.progress(
                    min(max(float(x), 0.0), 1.0), text=_("Importing…")))
                bar.progress(1.0, text=_("Imported."))
                checked.cleanup()
                st.session_state[CHECKED] = checked
                st.success(_("Imported. Every page now shows the new data."))
    elif checked is not None and checked.imported:
        st.success(_("Imported. Every page now shows the new data."))

with tab_history:
    history = data.import_history()
    if history.empty:
        st.info(_("No import yet."))
    else:
        st.dataframe(history, hide_index=True)

with tab_complete:
    FIELDS = {"staff_at_first_meeting": _("Staff at the first meeting (realized duos)"),
              "coordinator_id": _("Coordinator (duos open on the as-of date)"),
              "exit": _("Exit outcome (realized duos that ended)"),
              "followup_3m": _("3-month follow-up (mark passed)"),
              "followup_6m": _("6-month follow-up (mark passed)"),
              "followup_12m": _("12-month follow-up (mark passed)")}
    st.markdown(_("How much of the optional fields the indicators use is filled, per branch, as of "
                  "{date}. An empty field weakens the figures named beside it.").format(date=fmt.day(f.as_of)))
    filled = data.completeness(f.key())
    if filled.empty:
        st.info(_("Nothing to complete."))
    else:
        st.dataframe([{_("Field"): FIELDS[r.field], _("Branch"): r.branch, _("Should have it"): fmt.integer(r.rows),
                       _("Filled"): fmt.integer(r.filled), _("Share filled"): fmt.percent(r.share),
                       _("Figures it weakens"): ", ".join(meta(k).label for k in data.COMPLETENESS_WEAKENS[r.field])}
                      for r in filled.itertuples()], hide_index=True)
        missing = data.rows_to_complete(f.key())
        # duo ids: a personal-data download (formula-like cells escaped, audited, its snapshot kept)
        st.download_button(_("Download the rows to complete (CSV)"), lambda: export.safe_csv(missing),
                           file_name="rows-to-complete.csv", mime="text/csv", icon=":material/download:",
                           disabled=missing.empty, on_click=signin.audit_export,
                           args=("rows to complete", len(missing), "rows-to-complete.csv"))

with tab_format:
    st.download_button(_("Download blank templates (a CSV per table and an Excel workbook, zipped)"),
                       data.templates_zip(), file_name="duo-impact-templates.zip", mime="application/zip",
                       icon=":material/download:")
    st.caption(_("The record format is the import contract, so it is written in English: column names "
                 "and list values stay as they are whatever the interface language."))
    with st.expander(_("What the list values mean")):
        st.caption(_("Write the values in the files as in the first columns; the last column says what "
                     "each one means."))
        st.dataframe(labels.value_table(), hide_index=True, width="stretch")
    with st.container(key="record_format"):   # English by design (the caption above)
        st.markdown(data.record_format_markdown())
