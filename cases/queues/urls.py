from django.urls import path

from . import views

urlpatterns = [
    path("queues/bureau/", views.bureau_queue, name="bureau-queue"),
    path("queues/bureau/<int:pk>/receive/", views.bureau_receive, name="bureau-receive"),
    path("queues/bureau/<int:pk>/assign/", views.bureau_assign, name="bureau-assign"),
    path("queues/accept/", views.batch_accept, name="batch-accept"),
]
