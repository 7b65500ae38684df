"""Category names are reference data in Indonesian; the reader sees them in their language."""

import pytest
from django.utils import translation

from sinergi.incidents.models import Category

pytestmark = pytest.mark.django_db


def test_a_default_category_reads_in_the_reader_s_language():
    category = Category.objects.get(code="politik-uang")
    assert category.label == "Politik uang"
    with translation.override("en"):
        assert category.label == "Vote buying" and str(category) == "Vote buying"


def test_a_category_an_administrator_adds_keeps_its_name():
    category = Category.objects.create(code="baru", name="Kategori baru setempat")
    with translation.override("en"):
        assert category.label == "Kategori baru setempat"
