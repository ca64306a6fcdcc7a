"""The services responsible for a programme's steps, loaded by `flask reference load`
(code, Kazakh, Russian); an administrator may correct a name here."""

SERVICES = (
    (
        "labour_inspector",
        "Еңбекпен және тұрмыстық орналастыру жөніндегі инспектор",
        "Инспектор по трудовому и бытовому устройству",
    ),
    ("squad_chief", "Отряд бастығы", "Начальник отряда"),
    ("medical", "Медицина қызметкерлері", "Медицинские работники"),
    ("psychologist", "Психолог", "Психолог"),
    ("probation", "Пробация қызметі", "Служба пробации"),
    ("akimat", "Әкімдік", "Акимат"),
    ("ngo", "Үкіметтік емес ұйым", "Неправительственная организация"),
)
