from django.contrib.auth import views as auth_views
from django.urls import path

from sinergi.accounts import views

app_name = "accounts"
urlpatterns = [
    path("masuk/", views.LoginView.as_view(), name="login"),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("profil/", views.profile, name="profile"),
    path("notifikasi/", views.notifications, name="notifications"),
]
