from django.urls import path

from sinergi.risk import views

URL_PREFIX = "kerawanan"
app_name = "risk"
urlpatterns = [
    path("", views.start, name="start"),
    path("instrumen/", views.instruments, name="instruments"),
    path("putaran/", views.rounds, name="rounds"),
    path("putaran/baru/", views.round_new, name="round_new"),
    path("putaran/<slug:slug>/", views.round_detail, name="round"),
    path("putaran/<slug:slug>/status/", views.round_status, name="round_status"),
    path("putaran/<slug:slug>/templat.csv", views.round_template, name="round_template"),
    path("usulan/<int:pk>/terapkan/", views.proposal_apply, name="proposal_apply"),
    path("tps/<str:code>/", views.tps_detail, name="tps"),
    path("tps/<str:code>/isi/", views.checklist_form, name="checklist"),
    path("daftar-periksa/<int:pk>/bukti/", views.checklist_evidence, name="checklist_evidence"),
    path("tps/<str:code>/kelas/", views.security_override, name="override"),
    path("wilayah/<str:code>/", views.area, name="area"),
    path("wilayah/<str:code>/tps/", views.tps_list, name="tps_list"),
    path("wilayah/<str:code>/bandingkan/", views.compare, name="compare"),
    path("wilayah/<str:code>/ekspor/", views.export_file, name="export"),
]
