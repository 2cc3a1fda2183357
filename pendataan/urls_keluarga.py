# Households, persons, verification, history and duplicate cases.
urlpatterns = []
