from django.urls import path

from sinergi.meetings import views

URL_PREFIX = "rapat"
app_name = "meetings"
urlpatterns = [
    path("", views.index, name="index"),
    path("baru/", views.meeting_new, name="new"),
    path("<int:pk>/", views.meeting_detail, name="detail"),
    path("<int:pk>/ubah/", views.meeting_edit, name="edit"),
    path("<int:pk>/notulen/", views.meeting_minutes, name="minutes"),
    path("<int:pk>/undangan/", views.invitee_add, name="invitee_add"),
    path("<int:pk>/acara/", views.agenda_add, name="agenda_add"),
    path("<int:pk>/keputusan/", views.decision_add, name="decision_add"),
    path("<int:pk>/notulen.pdf", views.minutes_pdf, name="minutes_pdf"),
    path("<int:pk>/tindak-lanjut.xlsx", views.meeting_actions_xlsx, name="actions_xlsx"),
    path("undangan/<int:pk>/kehadiran/", views.attendance_set, name="attendance"),
    path("keputusan/<int:pk>/tindak-lanjut/", views.action_add, name="action_add"),
    path("keputusan/<int:pk>/publik/", views.decision_publicity, name="decision_publicity"),
    path("tindak-lanjut/", views.action_list, name="actions"),
    path("tindak-lanjut.xlsx", views.action_list_xlsx, name="actions_all_xlsx"),
    path("tindak-lanjut/saya/", views.my_actions, name="my_actions"),
    path("tindak-lanjut/<int:pk>/", views.action_detail, name="action"),
    path("bukti/<int:pk>/", views.evidence_download, name="evidence"),
]
