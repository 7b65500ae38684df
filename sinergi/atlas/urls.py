from django.urls import path

from sinergi.atlas import views

URL_PREFIX = "wilayah"
app_name = "areas"
urlpatterns = [
    path("", views.browse_start, name="start"),
    path("tps/<str:code>/", views.polling_station_detail, name="tps"),
    path("tps/<str:code>/ubah/", views.polling_station_edit, name="tps_edit"),
    path("<str:code>/", views.area_detail, name="detail"),
    path("<str:code>/tps/", views.area_polling_stations, name="polling_stations"),
]
