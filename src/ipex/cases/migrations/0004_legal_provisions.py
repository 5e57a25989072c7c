from decimal import Decimal

from django.db import migrations

# code, penalty type, minimum, maximum, currency, en, zh-hans, ru
PROVISIONS = [
    ("CN-CL-217", "imprisonment", Decimal(36), Decimal(84), "",
     "Criminal Law of the PRC, Art. 217 (especially serious circumstances): 3 to 7 years",
     "《中华人民共和国刑法》第二百一十七条（情节特别严重）：三年以上七年以下有期徒刑",
     "УК КНР, ст. 217 (особо тяжкие обстоятельства): от 3 до 7 лет лишения свободы"),
    ("CN-CL-217-BASIC", "imprisonment", Decimal(0), Decimal(36), "",
     "Criminal Law of the PRC, Art. 217 (serious circumstances): up to 3 years",
     "《中华人民共和国刑法》第二百一十七条（情节严重）：三年以下有期徒刑",
     "УК КНР, ст. 217 (тяжкие обстоятельства): до 3 лет лишения свободы"),
    ("CN-CRIR-36", "fine", Decimal(0), Decimal(250000), "CNY",
     "Copyright Law Implementing Regulations, Art. 36: administrative fine up to 250,000 yuan",
     "《著作权法实施条例》第三十六条：罚款二十五万元以下",
     "Правила применения Закона КНР об авторском праве, ст. 36: штраф до 250 000 юаней"),
]


def seed(apps, schema_editor):
    model = apps.get_model("cases", "LegalProvision")
    for code, kind, low, high, currency, en, zh, ru in PROVISIONS:
        model.objects.get_or_create(code=code, defaults={
            "penalty_type": kind, "minimum": low, "maximum": high, "currency": currency,
            "name_en": en, "name_zh_hans": zh, "name_ru": ru,
        })


class Migration(migrations.Migration):
    dependencies = [("cases", "0003_actions_penalties")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
