from django.urls import path

from sinergi.grants import views

URL_PREFIX = "hibah"
app_name = "grants"
urlpatterns = [
    path("", views.start, name="start"),
    path("publik/", views.public_index, name="public_index"),
    path("publik/<str:code>/", views.public_region, name="public_region"),
    path("nphd/<slug:election>/<slug:recipient>/", views.agreement_detail, name="agreement"),
    path("nphd/<slug:election>/<slug:recipient>/catat/", views.entry_post, name="entry_post"),
    path("nphd/<slug:election>/<slug:recipient>/adendum/", views.agreement_amend, name="amend"),
    path("nphd/<slug:election>/<slug:recipient>/tutup/", views.agreement_close, name="close"),
    path("<str:code>/", views.overview, name="overview"),
    path("<str:code>/baru/", views.agreement_new, name="new"),
    path("<str:code>/pengesahan/", views.ratification_set, name="ratification"),
    path("<str:code>/ekspor.xlsx", views.export_xlsx, name="export"),
]
