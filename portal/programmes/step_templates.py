"""Templates of a programme's steps, one per group of statuses, bilingual. Pure: a template
and the record's dates in, the steps' due dates out (`due_dates`).

The penitentiary-probation template is for people in custody and is drawn up a year before
the release date: each step's due date is counted from the release date (the identity card
6 months before it). The template for people already released counts from the day the
programme starts. A step due before the programme started is overdue from its first day: it
was due by then.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l

from portal.models_base import in_user_language
from portal.placements.followup import add_months

RELEASE, START = "release", "start"


@dataclass(frozen=True)
class TemplateStep:
    key: str
    title_kk: str
    title_ru: str
    service: str  # a code of portal/programmes/seed.py SERVICES
    months: int = 0  # from the anchor date (negative: before it)
    days: int = 0

    @property
    def title(self) -> str:
        return in_user_language(self.title_kk, self.title_ru)

    def due_on(self, anchor: date) -> date:
        return add_months(anchor, self.months) + timedelta(days=self.days)


@dataclass(frozen=True)
class Template:
    code: str
    name: object  # a lazy string
    statuses: tuple[str, ...]
    anchor: str  # RELEASE or START
    steps: tuple[TemplateStep, ...]


CUSTODY = Template(
    "penitentiary_probation",
    _l("Penitentiary probation: a year before release"),
    ("min_security", "pre_release"),
    RELEASE,
    (
        TemplateStep(
            "health",
            "Денсаулығын және еңбекке қабілеттілігін зерделеу",
            "Изучить состояние здоровья и трудоспособность",
            "medical",
            months=-12,
        ),
        TemplateStep(
            "psychologist",
            "Психологиялық диагностика және кеңес",
            "Психологическая диагностика и консультация",
            "psychologist",
            months=-11,
        ),
        TemplateStep(
            "education",
            "Білімі мен біліктілігін анықтау, кәсіптік оқуға жіберу",
            "Определить образование и квалификацию, направить на профессиональное обучение",
            "squad_chief",
            months=-10,
        ),
        TemplateStep(
            "family",
            "Отбасымен және туыстарымен байланысты қалпына келтіру",
            "Восстановить связь с семьёй и родственниками",
            "squad_chief",
            months=-9,
        ),
        TemplateStep(
            "identity_card",
            "Жеке куәлікті ресімдеу",
            "Оформить удостоверение личности",
            "squad_chief",
            months=-6,
        ),
        TemplateStep(
            "housing",
            "Босатылғаннан кейінгі тұрғын үйді анықтау",
            "Определить жильё после освобождения",
            "akimat",
            months=-4,
        ),
        TemplateStep(
            "cv",
            "Түйіндеме дайындау",
            "Подготовить резюме",
            "labour_inspector",
            months=-3,
        ),
        TemplateStep(
            "bank_account",
            "Банк шотын ашу",
            "Открыть банковский счёт",
            "labour_inspector",
            months=-2,
        ),
        TemplateStep(
            "work_offer",
            "Жұмысқа орналастыру туралы ұсыныс алу",
            "Получить предложение о трудоустройстве",
            "labour_inspector",
            months=-1,
        ),
        TemplateStep(
            "probation_handover",
            "Есепке қою үшін мәліметтерді пробация қызметіне беру",
            "Передать сведения в службу пробации для постановки на учёт",
            "probation",
            months=-1,
        ),
        TemplateStep(
            "ngo",
            "Босатылғаннан кейін үкіметтік емес ұйымның қолдауы",
            "Поддержка неправительственной организации после освобождения",
            "ngo",
        ),
    ),
)
RELEASED = Template(
    "after_release",
    _l("After release: from the start of the programme"),
    ("released", "probation"),
    START,
    (
        TemplateStep(
            "probation_register",
            "Пробация есебіне қою, көмек қажеттілігін анықтау",
            "Поставить на учёт пробации, определить потребность в помощи",
            "probation",
            days=10,
        ),
        TemplateStep(
            "documents",
            "Жеке басын куәландыратын құжаттарды қалпына келтіру",
            "Восстановить документы, удостоверяющие личность",
            "probation",
            months=1,
        ),
        TemplateStep(
            "housing",
            "Уақытша тұрғын үй табуға көмектесу",
            "Помочь найти временное жильё",
            "akimat",
            months=1,
        ),
        TemplateStep(
            "cv",
            "Түйіндеме дайындау",
            "Подготовить резюме",
            "labour_inspector",
            months=1,
        ),
        TemplateStep(
            "health",
            "Медициналық тексеруден өту",
            "Пройти медицинское обследование",
            "medical",
            months=1,
            days=15,
        ),
        TemplateStep(
            "psychologist",
            "Психологтың кеңесі",
            "Консультация психолога",
            "psychologist",
            months=1,
            days=15,
        ),
        TemplateStep(
            "employment_centre",
            "Халықты жұмыспен қамту орталығына тіркеу",
            "Зарегистрировать в центре занятости населения",
            "akimat",
            months=2,
        ),
        TemplateStep(
            "ngo",
            "Үкіметтік емес ұйымның қолдауы",
            "Поддержка неправительственной организации",
            "ngo",
            months=2,
        ),
        TemplateStep(
            "work",
            "Жұмысқа орналастыру",
            "Трудоустроить",
            "labour_inspector",
            months=3,
        ),
    ),
)
TEMPLATES = {template.code: template for template in (CUSTODY, RELEASED)}


def for_status(status: str) -> list[Template]:
    """The templates a record of this status may start from."""
    return [template for template in TEMPLATES.values() if status in template.statuses]


class NoAnchor(ValueError):
    """The template counts from a release date the record does not have."""


def anchor_date(template: Template, release_date: date | None, started_on: date) -> date:
    if template.anchor == START:
        return started_on
    if release_date is None:
        raise NoAnchor(template.code)
    return release_date


def due_dates(
    template: Template, release_date: date | None, started_on: date
) -> list[tuple[TemplateStep, date]]:
    """Each step of the template with its due date, in due-date order (then template order)."""
    anchor = anchor_date(template, release_date, started_on)
    steps = [(step, step.due_on(anchor)) for step in template.steps]
    return sorted(steps, key=lambda pair: pair[1])
