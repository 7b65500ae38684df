from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "sinergi.accounts"
    label = "accounts"
    verbose_name = "Accounts and access"
