from django.urls import path

from . import views

urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("webhook/", views.payment_webhook, name="payment-webhook"),
]
