"""The volunteer pages: roles, the sign-up form, confirmation and withdrawal links."""

from django.urls import path

from volunteers import views

app_name = "volunteers"

urlpatterns = [
    path("", views.VolunteerIndexView.as_view(), name="index"),
    path("apply/", views.ApplyView.as_view(), name="apply"),
    path("thanks/", views.ThanksView.as_view(), name="thanks"),
    path("confirm/<str:token>/", views.ConfirmView.as_view(), name="confirm"),
    path("withdraw/<str:token>/", views.WithdrawView.as_view(), name="withdraw"),
    path("withdrawn/", views.WithdrawnView.as_view(), name="withdrawn"),
]
