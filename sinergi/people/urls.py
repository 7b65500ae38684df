from django.urls import path

from sinergi.people import views

URL_PREFIX = "orang"
app_name = "people"
urlpatterns = [
    path("", views.roster_start, name="start"),
    path("impor/", views.roster_import, name="import"),
    path("impor/konfirmasi/", views.roster_import_confirm, name="import_confirm"),
    path("wilayah/<str:code>/", views.roster_area, name="roster"),
    path("wilayah/<str:code>/ekspor.<str:fmt>", views.roster_export, name="export"),
    path("wilayah/<str:code>/lembar-aktivasi/", views.roster_sheet, name="sheet"),
    path("<int:pk>/", views.person_detail, name="person"),
    path("<int:pk>/kirim-aktivasi/", views.person_activation_send, name="person_activation_send"),
    path("aktivasi/<str:token>/", views.activate, name="activate"),
    path("masuk-hp/", views.phone_login, name="phone_login"),
    path("masuk-hp/kode/", views.phone_login_code, name="phone_login_code"),
]
