# PPKS identifications and the PSKS inventory.
urlpatterns = []
