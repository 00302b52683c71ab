from django.urls import path

from . import views, views_hr, views_policy

app_name = "collection"

urlpatterns = [
    path("", views.log, name="log"),
    path("new/", views.new_contact, name="new"),
    path("numbers/", views_hr.numbers, name="numbers"),
    path("package/", views_hr.package, name="package"),
    path("mine/", views.mine, name="mine"),
    path("policy/", views_policy.policy_page, name="policy"),
    path("<int:pk>/", views_hr.file_page, name="file"),
    path("<int:pk>/respond/", views.respond, name="respond"),
    path("<int:pk>/escalate/", views_hr.escalate, name="escalate"),
    path("<int:pk>/letter/", views_hr.letter, name="letter"),
    path("<int:pk>/police/", views_hr.police, name="police"),
    path("letters/<int:pk>/", views_hr.letter_page, name="letter_page"),
    path("letters/<int:pk>/delivery/", views_hr.delivery, name="delivery"),
    path("contacts/<int:pk>/", views.contact_page, name="contact"),
]
