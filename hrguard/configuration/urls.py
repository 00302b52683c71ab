from django.urls import path

from . import views_accounts, views_channels, views_org

app_name = "settings"

urlpatterns = [
    path("", views_accounts.index, name="index"),
    path("accounts/", views_accounts.account_list, name="accounts"),
    path("accounts/new/", views_accounts.account_new, name="accounts_new"),
    path("accounts/action/", views_accounts.account_action, name="account_action"),
    path("org/", views_org.org_page, name="org"),
    path("org/department/", views_org.department_action, name="org_department"),
    path("org/position/", views_org.position_action, name="org_position"),
    path("channels/", views_channels.channel_page, name="channels"),
    path("identities/", views_channels.identity_page, name="identities"),
    path("identities/save/", views_channels.identity_save, name="identity_save"),
    path("identities/import/", views_channels.identity_import, name="identity_import"),
    path("facts/", views_channels.facts_page, name="facts"),
]
