from django.contrib.auth import views as auth_views
from django.urls import path

from . import views, views_tokens

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/tokens/", views_tokens.tokens, name="account-tokens"),
    path("account/tokens/<int:pk>/revoke/", views_tokens.revoke, name="account-token-revoke"),
]
