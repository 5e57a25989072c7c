import uuid

from django.test import override_settings
from django.urls import reverse


@override_settings(ROOT_URLCONF="ipex.urls")
def test_probe(db):
    print(reverse("organisation-list"), reverse("job-detail", args=[uuid.uuid4()]))
