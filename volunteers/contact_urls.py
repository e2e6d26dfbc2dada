"""The contact page (``contact:form``) and its thanks page, in every interface language."""

from django.urls import path

from volunteers import contact_views

app_name = "contact"

urlpatterns = [
    path("", contact_views.ContactView.as_view(), name="form"),
    path("thanks/", contact_views.ContactThanksView.as_view(), name="thanks"),
]
