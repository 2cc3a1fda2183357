# Spreadsheet import of households, members and PPKS.
urlpatterns = []
