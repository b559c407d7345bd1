"""Impact report: the funder report of analytics.report for the chosen period,
branches, as-of date and outcome definition, with its HTML, PDF, XLSX and CSV
downloads (each carrying the data fingerprint). A funder user's own funders
are the only donors it names.

Every figure on this page comes from ``analytics.report``: suppressed
first, then formatted; the page only lays the model out (text only, no HTML
from the data). Managers may add a baseline (e.g. a control group's job rate),
shown as a labelled difference, never as an effect.
"""
from __future__ import annotations

import streamlit as st

from ui import auth, connection, filters, page, reports, signin
from ui.i18n import _, current_language

user, f = page.start("impact_report", outcomes=True)


def md(text: str) -> str:
    """Plain text for Streamlit's markdown (the report's "<5" and "*" stay as they are)."""
    for ch in "\\`*_[]<>#|":
        text = text.replace(ch, "\\" + ch)
    return text


BASELINE_FOR = {
    "job_exit_rate": _("Job exit rate"),
    "positive_exit_rate": _("Positive exit rate"),
    "completion_rate": _("Completion rate"),
    "job_rate_12m": _("In a job at 12 months"),
}

baseline = None
if user.role == auth.MANAGER:
    with st.expander(_("Compare with a baseline (optional)")):
        st.caption(_("A figure from outside the programme, for example a control group's job rate. The "
                     "report shows the difference, labelled as such: a difference is not an effect of "
                     "the programme."))
        filters.from_url("report_baseline_on", False, "bool")
        filters.from_url("report_baseline_label", "")
        filters.from_url("report_baseline_for", list(BASELINE_FOR)[0], options=list(BASELINE_FOR))
        filters.from_url("report_baseline_value", 30.0, "float")
        filters.from_url("report_baseline_source", "")
        use = st.toggle(_("Add a baseline to the report"), key="report_baseline_on")
        left, right = st.columns(2)
        with left:
            label = st.text_input(_("What the baseline is"), key="report_baseline_label", max_chars=120,
                                  placeholder=_("Control group job rate (regional study)"))
            compared = st.selectbox(_("Compared with"), list(BASELINE_FOR), key="report_baseline_for",
                                    format_func=lambda k: BASELINE_FOR[k])
        with right:
            value = st.number_input(_("Baseline rate (%)"), min_value=0.0, max_value=100.0, step=0.5,
                                    key="report_baseline_value")
            source = st.text_input(_("Source (optional)"), key="report_baseline_source", max_chars=200)
        for key, shown, default, kind in (("report_baseline_on", use, False, "bool"),
                                          ("report_baseline_label", label, "", "str"),
                                          ("report_baseline_for", compared, list(BASELINE_FOR)[0], "str"),
                                          ("report_baseline_value", value, 30.0, "float"),
                                          ("report_baseline_source", source, "", "str")):
            filters.to_url(key, shown, default, kind)
        if use:
            if label.strip():
                baseline = reports.Baseline(label=label.strip(), value=round(value / 100, 6), indicator=compared,
                                    source=source.strip())
            else:
                st.warning(_("Say what the baseline is before it goes into the report."))

lang = current_language()
with st.spinner(_("Preparing the report…")):
    # the viewer's own funders are the only donors the report names (a funder user's binding)
    viewer_funders = user.funders if user.role == auth.FUNDER else ()
    outcome = getattr(f, "outcome", None) or reports.DEFAULT_OUTCOME
    model = reports.model(f.key(), lang, baseline, funders=viewer_funders, outcome=outcome)

st.caption(md(model.subtitle))
st.info(md(model.legend))

# ---------------------------------------------------------------- downloads

stem = "impact-report-{start}-{end}".format(start=f.period_from.isoformat(), end=f.period_to.isoformat())
# the snapshot the model was built from: a download keeps it (imports never prune it)
snapshot = connection.token()
cols = st.columns(4)
with cols[0]:
    st.download_button(_("Download HTML"), lambda: reports.html_bytes(model), file_name=f"{stem}.html",
                       mime="text/html", icon=":material/html:", width="stretch",
                       on_click=signin.audit_report, args=("html", f"{stem}.html", snapshot, viewer_funders))
with cols[1]:
    st.download_button(_("Download CSV"), lambda: reports.csv_bytes(model), file_name=f"{stem}.csv", mime="text/csv",
                       icon=":material/table:", width="stretch", on_click=signin.audit_report,
                       args=("csv", f"{stem}.csv", snapshot, viewer_funders))
with cols[2]:
    st.download_button(_("Download XLSX"), lambda: reports.xlsx_bytes(model), file_name=f"{stem}.xlsx",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                       icon=":material/grid_on:", width="stretch", on_click=signin.audit_report,
                       args=("xlsx", f"{stem}.xlsx", snapshot, viewer_funders))
with cols[3]:
    pdf_key = ("report_pdf", f.key(), lang, baseline, viewer_funders, outcome, connection.token())
    if st.session_state.get("report_pdf_key") == pdf_key:
        st.download_button(_("Download PDF"), st.session_state["report_pdf"], file_name=f"{stem}.pdf",
                           mime="application/pdf", icon=":material/picture_as_pdf:", width="stretch",
                           on_click=signin.audit_report, args=("pdf", f"{stem}.pdf", snapshot, viewer_funders))
    elif st.button(_("Prepare the PDF"), icon=":material/picture_as_pdf:", width="stretch"):
        with st.spinner(_("Printing the PDF…")):
            try:
                st.session_state["report_pdf"] = reports.pdf_bytes(model)
                st.session_state["report_pdf_key"] = pdf_key
            except reports.ReportError as error:
                st.error(_("The PDF could not be made: {error}").format(error=str(error)))
        if st.session_state.get("report_pdf_key") == pdf_key:
            st.rerun()

# ---------------------------------------------------------------- the report
st.header(model.labels["headline"])
for section, title in model.sections:
    st.subheader(title)
    figures = [fig for fig in model.headline if fig.section == section]
    for start in range(0, len(figures), 3):
        for col, fig in zip(st.columns(3), figures[start:start + 3]):
            with col, st.container(border=True):
                label = fig.label + (f" · IRIS+ {fig.iris_code}" if fig.iris_code else "")
                st.metric(label, fig.value)
                st.caption(md(fig.note))
                for line in (fig.outcome_note, fig.previous, fig.field_context):
                    if line:
                        st.caption(md(line))
                st.caption(md(model.labels["definition"] + ": " + fig.definition))
                st.caption(md(model.labels["coverage"] + ": " + fig.coverage))
    if section == "how_well" and model.standards:
        st.markdown("**" + md(model.labels["standards"]) + "**")
        st.dataframe(reports.frame([[r.label, r.value, r.standard, r.met, r.source] for r in model.standards],
                                   columns=[model.labels["standard"], model.labels["programme"],
                                            model.labels["field_standard"], model.labels["met"],
                                            model.labels["source"]]),
                     hide_index=True, width="stretch")
if any(fig.previous or fig.field_context for fig in model.headline):
    st.caption(md(model.labels["context_caution"]))

if model.baseline:
    b = model.baseline
    st.header(model.labels["baseline"])
    st.dataframe(reports.frame([[b.indicator_label, b.programme, b.baseline, b.difference]],
                              columns=[model.labels["figure"], model.labels["programme"],
                                       model.labels["baseline_header"], model.labels["difference"]]),
                 hide_index=True)
    if b.source:
        st.caption(md(model.labels["source_line"]))
    st.warning(md(b.caution))


def table(t) -> None:
    st.dataframe(reports.frame(t.rows, columns=t.columns), hide_index=True, width="stretch")
    if t.note:
        st.caption(md(t.note))


trends = [c for c in model.charts if c.key.endswith("_trend")]
if trends:
    st.header(model.labels["trends"])
    for chart in trends:
        st.plotly_chart(chart.figure, width="stretch", key=f"report_{chart.key}",
                        config={"displaylogo": False})
        if chart.note:
            st.caption(md(chart.note))

st.header(model.labels["breakdowns"])
for chart in model.charts:
    if chart.key == "positive_exit_by_group":
        st.plotly_chart(chart.figure, width="stretch", key="report_by_group", config={"displaylogo": False})
        st.caption(md(chart.note))
for t in model.breakdowns:
    st.subheader(t.title)
    table(t)

if model.funding:
    st.header(model.labels["funding"])
    for t in model.funding:
        st.subheader(t.title)
        table(t)

st.header(model.labels["methodology"])
for note in model.method_notes:
    st.markdown("- " + md(note))
st.dataframe(reports.frame([[m.label, m.definition, m.period, m.coverage, m.iris_code] for m in model.methodology],
                          columns=[model.labels["figure"], model.labels["definition"], model.labels["period"],
                                   model.labels["coverage"], model.labels["iris"]]),
             hide_index=True, width="stretch")
