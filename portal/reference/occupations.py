"""What an occupation's work is, whatever the employer ticks: the activities it implies.

A court ban on an activity (Labour Code art. 26 p.1 sub. 3) bars every job whose occupation is
that activity, declared or not (docs/rules.md, `court_activity_ban`: a court ban on driving bars
any job whose occupation is driving, НКЗ 832x/833x, declared or not). The table below is
data: one row per НКЗ (НК РК 01-2017, built on ISCO-08) code prefix, with the codes of
seed_data.ACTIVITIES it implies. A code takes the activities of every row whose prefix it
starts with (so 2342-0 is teaching, from 23, and work with minors, from 2342). A code no row
matches implies nothing.

The prefixes are ISCO-08 groups; that НК РК 01-2017 keeps each of them unchanged is not
confirmed against the official text (check), so an administrator may correct a row here.
"""

# (НКЗ code prefix, the activities it implies)
IMPLIED_ACTIVITIES: tuple[tuple[str, frozenset[str]], ...] = (
    # 832x: car, taxi, van and motorcycle drivers (8321 motorcycle, 8322 car, taxi and van)
    ("832", frozenset({"driving"})),
    # 833x: heavy truck and bus drivers (8331 bus and tram, 8332 heavy truck and lorry)
    ("833", frozenset({"driving"})),
    # 23xx: teaching professionals (higher, vocational, secondary, primary, pre-school, other)
    ("23", frozenset({"teaching"})),
    # 2341: primary school teachers; their pupils are children
    ("2341", frozenset({"work_with_minors"})),
    # 2342: early childhood (pre-school) educators
    ("2342", frozenset({"work_with_minors"})),
    # 5311: child care workers, nannies
    ("5311", frozenset({"work_with_minors"})),
    # 5312: teachers' aides (pre-school and school assistants)
    ("5312", frozenset({"work_with_minors"})),
    # 5414: security guards
    ("5414", frozenset({"security"})),
    # 5230: cashiers and ticket clerks
    ("5230", frozenset({"finance"})),
    # 4211: bank tellers and related clerks
    ("4211", frozenset({"finance"})),
    # 2411: accountants
    ("2411", frozenset({"finance"})),
    # 3313: accounting associate professionals (bookkeepers)
    ("3313", frozenset({"finance"})),
    # 4311: accounting and bookkeeping clerks
    ("4311", frozenset({"finance"})),
    # 221x: medical doctors (generalist and specialist)
    ("221", frozenset({"medical_care"})),
    # 222x: nursing and midwifery professionals
    ("222", frozenset({"medical_care"})),
    # 321x: medical and pharmaceutical technicians
    ("321", frozenset({"medical_care"})),
    # 322x: nursing and midwifery associate professionals
    ("322", frozenset({"medical_care"})),
    # 5321: health care assistants
    ("5321", frozenset({"medical_care"})),
)


def implied_activities(nkz_code: str) -> frozenset[str]:
    """The activities (seed_data.ACTIVITIES codes) the НКЗ occupation `nkz_code` implies."""
    code = (nkz_code or "").strip()
    implied: frozenset[str] = frozenset()
    for prefix, activities in IMPLIED_ACTIVITIES:
        if code.startswith(prefix):
            implied |= activities
    return implied
