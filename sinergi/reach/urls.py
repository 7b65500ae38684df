from django.urls import path

from sinergi.reach import views

URL_PREFIX = "jangkauan"
app_name = "reach"
urlpatterns = [
    path("", views.index, name="index"),
    path("siaran/", views.broadcast_list, name="broadcasts"),
    path("siaran/baru/", views.broadcast_new, name="broadcast_new"),
    path("siaran/<int:pk>/", views.broadcast_detail, name="broadcast"),
    path("siaran/<int:pk>/setujui/", views.broadcast_approve, name="broadcast_approve"),
    path("siaran/<int:pk>/batalkan/", views.broadcast_cancel, name="broadcast_cancel"),
    path("gladi/uji/", views.test_report, name="test_report"),
    path("gladi/<str:code>/", views.rehearsal, name="rehearsal"),
    path("telepon/<str:code>/", views.calls, name="calls"),
    path("telepon/<str:code>/catat/", views.call_record, name="call_record"),
]
