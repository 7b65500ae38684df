from django.urls import path

from sinergi.turnout import views

URL_PREFIX = "partisipasi"
app_name = "turnout"
urlpatterns = [
    path("", views.index, name="index"),
    path("publik/<str:code>/", views.public, name="public"),
    path("slot/<int:slot_id>/", views.slot_detail, name="slot"),
    path("slot/<int:slot_id>/terima/", views.slot_accept, name="slot_accept"),
    path("slot/<int:slot_id>/koreksi/", views.slot_correct, name="slot_correct"),
    path("<str:code>/", views.board, name="board"),
    path("<str:code>/live/", views.board_live, name="board_live"),
    path("<str:code>/belum-lapor/", views.missing, name="missing"),
    path("<str:code>/tinjau/", views.review, name="review"),
    path("<str:code>/lapor/", views.report, name="report"),
    path("<str:code>/sosialisasi/", views.outreach, name="outreach"),
]
