from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("dang-nhap/", views.LoginView.as_view(), name="login"),
    path("dang-xuat/", views.LogoutView.as_view(), name="logout"),
    path("xac-thuc-hai-lop/", views.verify, name="verify"),
    path("xac-thuc-hai-lop/dang-ky/", views.setup, name="setup"),
    path("xac-thuc-hai-lop/ma-khoi-phuc/", views.regenerate_codes, name="regenerate_codes"),
    path("ca-nhan/", views.profile, name="profile"),
    path("ca-nhan/du-lieu-ca-nhan/", views.personal_data, name="personal_data"),
    path("ca-nhan/doi-mat-khau/", views.PasswordChangeView.as_view(), name="password_change"),
    path("quan-ly/", views.account_list, name="account_list"),
    path("truy-cap-du-lieu-ca-nhan/", views.personal_data_access, name="personal_data_access"),
    path("quan-ly/tao-moi/", views.account_create, name="account_create"),
    path("quan-ly/<id:pk>/", views.account_detail, name="account_detail"),
    path("quan-ly/<id:pk>/dat-lai-xac-thuc/", views.reset_two_factor, name="reset_two_factor"),
    path("quan-ly/<id:pk>/<str:action>/", views.account_action, name="account_action"),
    path("quan-ly/<id:pk>/vai-tro/gan/", views.role_assign, name="role_assign"),
    path("quan-ly/<id:pk>/vai-tro/<id:membership_pk>/thu-hoi/", views.role_revoke, name="role_revoke"),
    path("ung-dung-tich-hop/", views.apiclient_list, name="apiclient_list"),
    path("ung-dung-tich-hop/<id:pk>/thu-hoi/", views.apiclient_revoke, name="apiclient_revoke"),
]
