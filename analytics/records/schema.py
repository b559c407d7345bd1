"""The programme record format, declared once.

Every part that needs the import contract reads it from here: the importer
(what to parse, what to reject, what to warn about), the template writer, the
generated docs/record-format.md and the tests. Nothing else may restate these
rules, so a change to the format is a change to this file only.

The declaration is plain data: tables of typed columns, plus the rules that
span columns or tables (date orders, the programme's eligibility rules) and
the country code lists they use.
"""
from __future__ import annotations

from dataclasses import dataclass, field

# Column types of the record format and the DuckDB type each is stored as
# (docs/architecture.md, "The data contract inside DuckDB"). A number is an
# exact decimal: fixed-point, DECIMAL(NUMBER_WIDTH, scale) with the scale its
# column declares, never binary floating point.
NUMBER_WIDTH = 18
DUCKDB_TYPES = {
    "text": "VARCHAR",
    "choice": "VARCHAR",
    "country": "VARCHAR",
    # ISO 639-1 codes separated by `;`, stored lower-case, trimmed, `;`-joined
    "languages": "VARCHAR",
    "date": "DATE",
    "month": "DATE",
    "bool": "BOOLEAN",
    "number": "DECIMAL",
    "integer": "INTEGER",
}

BOOLEAN_SPELLINGS = {"true": True, "1": True, "yes": True, "false": False, "0": False, "no": False}


@dataclass(frozen=True)
class Column:
    """One column of a table. `choices` lists the allowed values of a `choice`
    column as they are stored; numbers may carry a range whose ends are
    inclusive or exclusive."""

    name: str
    type: str
    required: bool = False
    meaning: str = ""
    choices: tuple[str, ...] = ()
    minimum: float | None = None
    minimum_inclusive: bool = True
    maximum: float | None = None
    maximum_inclusive: bool = True
    personal: bool = False
    # The table whose key this column names.
    references: str | None = None
    # Required once the named column has a value, meaningless without it
    # (`end_reason` goes with `ended_on`).
    required_with: str | None = None
    # A number's scale: how many decimals it may carry (more are rejected,
    # trailing zeros aside). Every number column declares one.
    scale: int | None = None

    def __post_init__(self) -> None:
        if self.type not in DUCKDB_TYPES:
            raise ValueError(f"unknown column type {self.type!r} for {self.name}")
        if (self.type == "number") != (self.scale is not None):
            raise ValueError(f"{self.name}: a number declares its scale, and only a number")
        if self.scale is not None and not 0 <= self.scale < NUMBER_WIDTH:
            raise ValueError(f"{self.name}: scale {self.scale} out of 0–{NUMBER_WIDTH - 1}")
        if (self.type == "choice") != bool(self.choices):
            raise ValueError(f"{self.name}: choices go with the choice type, and only with it")

    @property
    def duckdb_type(self) -> str:
        if self.type == "number":
            return f"DECIMAL({NUMBER_WIDTH},{self.scale})"
        return DUCKDB_TYPES[self.type]

    @property
    def integer_digits(self) -> int:
        """A number's most digits before the decimal mark."""
        return NUMBER_WIDTH - (self.scale or 0)

    @property
    def has_range(self) -> bool:
        return self.minimum is not None or self.maximum is not None

    def range_text(self) -> str:
        """The range in words a reader of a rejection understands, e.g. `in (0, 1]`."""
        low, high = self.minimum, self.maximum
        if low is not None and high is not None:
            if self.type == "integer" and self.minimum_inclusive and self.maximum_inclusive:
                return f"{_number(low)}–{_number(high)}"
            left = "[" if self.minimum_inclusive else "("
            right = "]" if self.maximum_inclusive else ")"
            return f"in {left}{_number(low)}, {_number(high)}{right}"
        if low is not None:
            return f"{'≥' if self.minimum_inclusive else '>'} {_number(low)}"
        if high is not None:
            return f"{'≤' if self.maximum_inclusive else '<'} {_number(high)}"
        return ""


@dataclass(frozen=True)
class Table:
    """One table of the record format: a `<name>.csv` file, a `<name>.parquet`
    file or a sheet `<name>` of a workbook."""

    name: str
    title: str
    required: bool
    columns: tuple[Column, ...]
    key: str | None = None

    def column(self, name: str) -> Column:
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(f"{self.name} has no column {name}")

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns)

    @property
    def references(self) -> tuple[Column, ...]:
        return tuple(column for column in self.columns if column.references)


@dataclass(frozen=True)
class DateOrder:
    """`later` must not be before `earlier`.

    `earlier` is a column of the same row, or, with `via`, a column of the row
    that the reference column `via` names. A broken order rejects the row when
    `rejects` is true (an order that cannot be), otherwise the row is loaded
    and the order reported as a warning (an unlikely order). With
    `only_when_empty`, the rule applies only to rows where that column is
    empty.
    """

    table: str
    later: str
    earlier: str
    rejects: bool
    via: str | None = None
    only_when_empty: str | None = None
    description: str = ""


@dataclass(frozen=True)
class ProgrammeRule:
    """An eligibility rule of the programme. A row that breaks it is loaded and
    reported as an eligibility exception, never dropped.

    kind `age`: whole years between `column` (a birth date) and `age_at` must be
    within [`min_age`, `max_age`] (`max_age` None: no upper limit).
    kind `not_in`: `column` must not hold one of `values`.
    kind `is_true`: `column` must be true.
    """

    table: str
    kind: str
    column: str
    description: str
    age_at: str | None = None
    min_age: int | None = None
    max_age: int | None = None
    values: tuple[str, ...] = field(default=())


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


EU27 = (
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU",
    "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
)

# ISO 3166-1 alpha-2, the 249 officially assigned codes, plus XK (Kosovo).
COUNTRY_CODES = frozenset("""
AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ
BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ
CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ
DE DJ DK DM DO DZ
EC EE EG EH ER ES ET
FI FJ FK FM FO FR
GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY
HK HM HN HR HT HU
ID IE IL IM IN IO IQ IR IS IT
JE JM JO JP
KE KG KH KI KM KN KP KR KW KY KZ
LA LB LC LI LK LR LS LT LU LV LY
MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ
NA NC NE NF NG NI NL NO NP NR NU NZ
OM
PA PE PF PG PH PK PL PM PN PR PS PT PW PY
QA
RE RO RS RU RW
SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ
TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ
UA UG UM US UY UZ
VA VC VE VG VI VN VU
WF WS
XK
YE YT
ZA ZM ZW
""".split())

# ISO 639-1, the 183 two-letter language codes (a `languages` cell lists some
# of them, separated by `;`).
LANGUAGE_CODES = frozenset("""
aa ab ae af ak am an ar as av ay az
ba be bg bi bm bn bo br bs
ca ce ch co cr cs cu cv cy
da de dv dz
ee el en eo es et eu
fa ff fi fj fo fr fy
ga gd gl gn gu gv
ha he hi ho hr ht hu hy hz
ia id ie ig ii ik io is it iu
ja jv
ka kg ki kj kk kl km kn ko kr ks ku kv kw ky
la lb lg li ln lo lt lu lv
mg mh mi mk ml mn mr ms mt my
na nb nd ne ng nl nn no nr nv ny
oc oj om or os
pa pi pl ps pt
qu
rm rn ro ru rw
sa sc sd se sg si sk sl sm sn so sq sr ss st su sv sw
ta te tg th ti tk tl tn to tr ts tt tw ty
ug uk ur uz
ve vi vo
wa wo
xh
yi yo
za zh zu
""".split())

LANGUAGE_SEPARATOR = ";"

# The EU's own abbreviations, read as the ISO codes.
COUNTRY_ALIASES = {"EL": "GR", "UK": "GB"}

_GENDERS = ("F", "M", "X")

# The scales of the numbers: euros to the cent, hours and FTE to the
# hundredth, a target to four decimals (a rate's target to the hundredth of
# a percent; the engine reads each target at its indicator's unit scale).
MONEY_SCALE = 2
HOURS_SCALE = 2
FTE_SCALE = 2
TARGET_SCALE = 4

TABLES: tuple[Table, ...] = (
    Table(
        "mentees", "young job seekers who applied", required=True, key="mentee_id",
        columns=(
            Column("mentee_id", "text", True),
            Column("branch", "text", True, "office/city that handles the person"),
            Column("applied_on", "date", True, "online profile submitted"),
            Column("interviewed_on", "date", meaning="intake interview"),
            Column("decision", "choice", choices=("eligible", "ineligible"),
                   meaning="after interview; empty = pending"),
            Column("withdrawn_on", "date", meaning="left the waiting list / programme"),
            Column("birth_date", "date", True, "programme rule: 18–30 at application"),
            Column("gender", "choice", choices=_GENDERS),
            Column("country_of_origin", "country", True, "programme rule: non-EU"),
            Column("education_level", "choice",
                   choices=("none", "primary", "secondary", "tertiary")),
            Column("registered_jobseeker", "bool", True,
                   "registered with the public employment office (programme rule)"),
            Column("sector_sought", "text", meaning="the personal project's sector"),
            Column("first_name", "text", meaning="personal data: staff views only", personal=True),
            Column("languages", "languages",
                   meaning="languages spoken (matching assistant), e.g. `ar;fr`"),
            Column("preferred_mentor_gender", "choice", choices=_GENDERS,
                   meaning="a mentor gender the mentee asked for (matching assistant)"),
        ),
    ),
    Table(
        "mentors", "experienced professionals, usually 50+ and (early) retired",
        required=True, key="mentor_id",
        columns=(
            Column("mentor_id", "text", True),
            Column("branch", "text", True),
            Column("applied_on", "date", True),
            Column("interviewed_on", "date"),
            Column("birth_date", "date", True,
                   "programme rule: at least 50 (whole years) at application"),
            Column("gender", "choice", choices=_GENDERS),
            Column("former_sector", "text"),
            Column("work_status", "choice",
                   choices=("early_retired", "retired", "employed", "other")),
            Column("training_completed_on", "date", meaning="finished the 4-day mentor training"),
            Column("left_on", "date", meaning="left the mentor pool"),
            Column("first_name", "text", meaning="personal data: staff views only", personal=True),
            Column("languages", "languages",
                   meaning="languages spoken (matching assistant), e.g. `nl;en`"),
        ),
    ),
    Table(
        "staff", "the programme's employees", required=False, key="staff_id",
        columns=(
            Column("staff_id", "text", True),
            Column("branch", "text", True),
            Column("role", "choice", True, "coordinators follow duos",
                   choices=("coordinator", "manager", "other")),
            Column("fte", "number", True, "full-time equivalent, to the hundredth",
                   minimum=0, minimum_inclusive=False, maximum=1, scale=FTE_SCALE),
            Column("started_on", "date", True),
            Column("left_on", "date"),
        ),
    ),
    Table(
        "duos", "one mentor paired with one mentee", required=True, key="duo_id",
        columns=(
            Column("duo_id", "text", True),
            Column("mentee_id", "text", True,
                   "a mentee may be re-matched (several duos)", references="mentees"),
            Column("mentor_id", "text", True,
                   "a mentor may mentor several times", references="mentors"),
            Column("coordinator_id", "text", references="staff"),
            Column("branch", "text", True),
            Column("matched_on", "date", True, "mentor and mentee put in contact"),
            Column("first_meeting_on", "date",
                   meaning="≥ matched_on; empty = not started yet"),
            Column("staff_at_first_meeting", "bool",
                   meaning="a staff member attended the first meeting"),
            Column("ended_on", "date",
                   meaning="≥ first_meeting_on (or ≥ matched_on if never started); empty = open"),
            Column("end_reason", "choice", required_with="ended_on",
                   choices=("completed", "job_found", "mentee_withdrew", "mentor_withdrew",
                            "mismatch", "other")),
        ),
    ),
    Table(
        "meetings", "mentor–mentee sessions", required=False, key="meeting_id",
        columns=(
            Column("meeting_id", "text", True),
            Column("duo_id", "text", True, references="duos"),
            Column("met_on", "date", True),
            Column("hours", "number", True, "to the hundredth of an hour (a quarter is 0.25)",
                   minimum=0, minimum_inclusive=False, maximum=12, scale=HOURS_SCALE),
            Column("mode", "choice", choices=("in_person", "phone", "video")),
        ),
    ),
    Table(
        "check_ins", "staff monitoring contacts", required=False, key="check_in_id",
        columns=(
            Column("check_in_id", "text", True),
            Column("duo_id", "text", True, references="duos"),
            Column("staff_id", "text", references="staff"),
            Column("checked_on", "date", True),
            Column("mentee_satisfaction", "integer", minimum=1, maximum=5),
            Column("mentor_satisfaction", "integer", minimum=1, maximum=5),
            Column("concern", "bool", meaning="staff flagged a concern"),
            Column("note", "text", personal=True,
                   meaning="personal data: staff views only, never in funder output"),
        ),
    ),
    Table(
        "outcomes", "the mentee's situation, per duo", required=False, key="outcome_id",
        columns=(
            Column("outcome_id", "text", True),
            Column("duo_id", "text", True, references="duos"),
            Column("stage", "choice", True, "when measured",
                   choices=("exit", "followup_3m", "followup_6m", "followup_12m")),
            Column("recorded_on", "date", True),
            Column("status", "choice", True,
                   choices=("employed", "self_employed", "training", "internship",
                            "volunteering", "searching", "inactive", "unknown")),
            Column("contract", "choice",
                   choices=("permanent", "fixed_term", "temp_agency", "none")),
            Column("sector", "text"),
        ),
    ),
    Table(
        "costs", "programme spending", required=False,
        columns=(
            Column("month", "month", True),
            Column("branch", "text", True, "a branch, or `central` for shared costs"),
            Column("category", "choice", True,
                   choices=("staff", "training", "events", "overhead", "other")),
            Column("amount_eur", "number", True, "euros, to the cent", minimum=0, scale=MONEY_SCALE),
        ),
    ),
    Table(
        "funding", "money received", required=False,
        columns=(
            Column("received_on", "date", True),
            Column("funder", "text", True),
            Column("funder_type", "choice", True,
                   choices=("public", "eu", "foundation", "corporate", "individual", "earned")),
            Column("amount_eur", "number", True, "euros, to the cent", minimum=0,
                   minimum_inclusive=False, scale=MONEY_SCALE),
            Column("branch", "text", meaning="empty = whole programme"),
            Column("covers_from", "date",
                   meaning=("first day the money pays for; empty = 1 January of the year of `covers_to` "
                            "if given, else of `received_on`")),
            Column("covers_to", "date",
                   meaning=("last day the money pays for; empty = 31 December of the year of `covers_from` "
                            "if given, else of `received_on`")),
        ),
    ),
    Table(
        "jobs", "periods in work after the programme, one row per spell", required=False,
        key="job_id",
        columns=(
            Column("job_id", "text", True),
            Column("mentee_id", "text", True, references="mentees"),
            Column("started_on", "date", True, "first day in work"),
            Column("ended_on", "date", meaning="last day in work, ≥ started_on; empty = still in work"),
            Column("contract", "choice",
                   choices=("permanent", "fixed_term", "temp_agency", "none")),
            Column("hours_per_week", "number", scale=HOURS_SCALE, minimum=0, minimum_inclusive=False, maximum=60),
        ),
    ),
    Table(
        "targets", "what managers aim for (optional)", required=False,
        columns=(
            Column("year", "integer", True),
            Column("branch", "text", True, "a branch or `all`"),
            Column("indicator", "text", True, "an indicator key from the indicator handbook"),
            Column("target", "number", True,
                   "in the indicator's unit; read at that unit's scale (indicator handbook)",
                   scale=TARGET_SCALE),
        ),
    ),
)

TABLES_BY_NAME = {table.name: table for table in TABLES}
REQUIRED_TABLES = tuple(table.name for table in TABLES if table.required)

DATE_ORDERS: tuple[DateOrder, ...] = (
    # Orders that cannot be: the row is rejected.
    DateOrder("duos", "first_meeting_on", "matched_on", rejects=True,
              description="`first_meeting_on` before `matched_on`"),
    DateOrder("duos", "ended_on", "first_meeting_on", rejects=True,
              description="`ended_on` before `first_meeting_on`"),
    DateOrder("duos", "ended_on", "matched_on", rejects=True, only_when_empty="first_meeting_on",
              description="`ended_on` before `matched_on` for a duo that never started"),
    DateOrder("jobs", "ended_on", "started_on", rejects=True,
              description="`ended_on` before `started_on`"),
    # Unlikely orders: loaded, reported as warnings.
    DateOrder("duos", "matched_on", "applied_on", rejects=False, via="mentee_id",
              description="a duo matched before its mentee applied"),
    DateOrder("duos", "matched_on", "applied_on", rejects=False, via="mentor_id",
              description="a duo matched before its mentor applied"),
    DateOrder("meetings", "met_on", "matched_on", rejects=False, via="duo_id",
              description="a meeting before its duo's match"),
    DateOrder("staff", "left_on", "started_on", rejects=False,
              description="a staff member's `left_on` before `started_on`"),
    DateOrder("funding", "covers_to", "covers_from", rejects=True,
              description="a funding row's `covers_to` before its `covers_from`"),
)

PROGRAMME_RULES: tuple[ProgrammeRule, ...] = (
    ProgrammeRule("mentees", "age", "birth_date", "mentees are 18–30 (whole years) on applied_on",
                  age_at="applied_on", min_age=18, max_age=30),
    ProgrammeRule("mentees", "not_in", "country_of_origin", "mentees come from outside the EU-27",
                  values=EU27),
    ProgrammeRule("mentees", "is_true", "registered_jobseeker",
                  "mentees are registered job seekers"),
    ProgrammeRule("mentors", "age", "birth_date", "mentors are at least 50 (whole years) on applied_on",
                  age_at="applied_on", min_age=50),
)


def date_orders_for(table: str) -> tuple[DateOrder, ...]:
    return tuple(rule for rule in DATE_ORDERS if rule.table == table)


def programme_rules_for(table: str) -> tuple[ProgrammeRule, ...]:
    return tuple(rule for rule in PROGRAMME_RULES if rule.table == table)
