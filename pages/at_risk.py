"""At-risk duos: which duos need a call this week, and why."""
import streamlit as st

from ui import at_risk, data, export, filters, fmt, page, signin
from ui.i18n import _

user, f = page.start("at_risk")
st.caption(_("Every duo open on the as-of date, checked against the warning rules. "
             "A duo is at risk when at least one rule fires; its score is the number of rules that fire."))

defaults = data.thresholds_default()
with st.expander(_("Thresholds"), expanded=False):
    cols = st.columns(3)
    thresholds = {}
    for i, (name, default) in enumerate(defaults.items()):
        label, unit = at_risk.THRESHOLD_LABELS.get(name, (name, "days"))
        kind = "float" if isinstance(default, float) else "int"
        filters.from_url(f"thr_{name}", float(default) if kind == "float" else int(default), kind)
        with cols[i % 3]:
            if kind == "float":
                thresholds[name] = st.number_input(_(label), min_value=0.0, max_value=100.0, step=0.5,
                                                   key=f"thr_{name}")
            else:
                thresholds[name] = st.number_input(_(label), min_value=0, max_value=365, step=1, key=f"thr_{name}")
        filters.to_url(f"thr_{name}", thresholds[name], default, kind)

    st.markdown("**" + _("The rules, with these thresholds") + "**")
    for rule, text in at_risk.rule_texts(thresholds).items():
        st.markdown("- " + _("{rule}: {text}").format(rule="**" + _(at_risk.RULE_NAMES[rule]) + "**",
                                                     text=fmt.md_escape(text)))

frame = data.at_risk(f.at_risk_key(), thresholds)

left, right = st.columns(2)
STATUS_DEFAULT = ["at_risk", "new"]
filters.from_url("risk_status", STATUS_DEFAULT, "list", options=at_risk.STATUSES)
with left:
    statuses = st.multiselect(_("Show"), at_risk.STATUSES, key="risk_status",
                              format_func=lambda s: _(at_risk.STATUS_LABELS[s]))
with right:
    staff = data.coordinators(f.at_risk_key())
    coordinator_ids = at_risk.coordinators(frame, staff)
    filters.from_url("risk_coordinator", [], "list", options=coordinator_ids)
    chosen = st.multiselect(_("Coordinator"), coordinator_ids, key="risk_coordinator",
                            placeholder=_("All coordinators"))
filters.to_url("risk_status", statuses, STATUS_DEFAULT, "list")
filters.to_url("risk_coordinator", chosen, [], "list")
shown = at_risk.listed(f.at_risk_key(), thresholds, statuses, chosen)

counts = at_risk.status_counts(frame)
for col, s in zip(st.columns(3), at_risk.STATUSES):
    col.metric(_(at_risk.STATUS_LABELS[s]), fmt.integer(counts[s]))

table = at_risk.table_for(f.at_risk_key(), thresholds, statuses, chosen)
event = st.dataframe(at_risk.for_display(table), hide_index=True, width="stretch", on_select="rerun",
                     selection_mode="single-row", key="risk_table",
                     column_config={_("Why"): st.column_config.TextColumn(width="large"),
                                    _("Duo"): st.column_config.TextColumn(width="small"),
                                    _("Weeks running"): st.column_config.TextColumn(width="medium"),
                                    _("Score"): st.column_config.NumberColumn(width="small")})
at_risk_file = f"at-risk-duos-{f.as_of.isoformat()}.csv"
st.download_button(_("Download the list (CSV)"), lambda: export.safe_csv(table),
                   file_name=at_risk_file, mime="text/csv", icon=":material/download:",
                   on_click=signin.audit_export, args=("at-risk list", len(table), at_risk_file))

selected = event.selection.rows if event is not None else []
st.subheader(_("Duo details"))
if not selected:
    st.caption(_("Select a row in the table to see the duo's details and timeline."))
else:
    row = shown.iloc[selected[0]].to_dict()
    st.markdown("**" + _("Duo {duo}").format(duo=fmt.md_escape(row["duo_id"])) + "** · " +
                _(at_risk.STATUS_LABELS.get(row["status"], row["status"])))
    for rule in at_risk.rules_of(row):
        st.markdown("- " + fmt.md_escape(_("{rule}: {text}").format(
            rule=_(at_risk.RULE_NAMES.get(rule, rule)), text=at_risk.explain(rule, row, thresholds))))
    facts = at_risk.facts(row)
    cols = st.columns(3)
    for i, (label, value) in enumerate(facts):
        cols[i % 3].markdown(f"**{fmt.md_escape(label)}**  \n{fmt.md_escape(value)}")
    timeline = data.duo_timeline(row["duo_id"], as_of=f.as_of, include_notes=True)
    st.markdown("**" + _("Timeline") + "**")
    st.dataframe(at_risk.timeline_table(timeline), hide_index=True, width="stretch")

st.subheader(_("Follow-up worklist"))
st.caption(_("Ended duos without an exit outcome, and the 3-, 6- and 12-month follow-ups that are "
             "overdue or due in the next 30 days."))
filters.from_url("worklist_overdue", 90, "int")
overdue = st.columns(3)[0].number_input(_("Leave out tasks overdue by more than (days)"), min_value=0,
                                        max_value=3650, step=30, key="worklist_overdue")
filters.to_url("worklist_overdue", overdue, 90, "int")
tasks = at_risk.worklist_for(f.at_risk_key(), int(overdue), chosen)
st.dataframe(tasks, hide_index=True, width="stretch")
worklist_file = f"follow-up-worklist-{f.as_of.isoformat()}.csv"
st.download_button(_("Download the worklist (CSV)"), lambda: export.safe_csv(tasks),
                   file_name=worklist_file, mime="text/csv", icon=":material/download:",
                   key="worklist_csv", on_click=signin.audit_export,
                   args=("follow-up worklist", len(tasks), worklist_file))
