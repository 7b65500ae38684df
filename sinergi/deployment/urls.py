from django.urls import path

from sinergi.deployment import views

URL_PREFIX = "pengamanan"
app_name = "deployment"
urlpatterns = [
    path("", views.index, name="index"),
    path("rencana/baru/", views.plan_create, name="plan_create"),
    path("rencana/<int:plan_id>/", views.plan_detail, name="plan"),
    path("rencana/<int:plan_id>/pos.geojson", views.plan_posts_geojson, name="posts_geojson"),
    # Approval has its own rule (Polri planners); this pattern comes before the other actions.
    path("rencana/<int:plan_id>/aksi/approve/", views.plan_approve, name="plan_approve"),
    path("rencana/<int:plan_id>/aksi/<slug:action>/", views.plan_action, name="plan_action"),
    path("rencana/<int:plan_id>/banding/<int:other_id>/", views.compare, name="compare"),
    path("rencana/<int:plan_id>/lampiran/<slug:code>/", views.annex, name="annex"),
    path("rencana/<int:plan_id>/lampiran/<slug:code>.xlsx", views.annex, {"fmt": "xlsx"}, name="annex_xlsx"),
    path("rencana/<int:plan_id>/lampiran/<slug:code>.pdf", views.annex, {"fmt": "pdf"}, name="annex_pdf"),
    path("pola/", views.patterns, name="patterns"),
    path("satuan/<str:code>/", views.units, name="units"),
    path("satuan/<str:code>/roster/", views.roster_upload, name="roster_upload"),
    path("satuan/<str:code>/kekuatan/", views.strength_update, name="strength_update"),
]
