# Filled in by the registry pages work.
urlpatterns = []
