from django.urls import path

from . import api

urlpatterns = [
    path("rulesets/what-if/", api.WhatIf.as_view(), name="api-rulesets-what-if"),
]
