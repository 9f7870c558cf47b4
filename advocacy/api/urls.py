"""The REST API under /api/ (see advocacy/api/)."""

urlpatterns = []
