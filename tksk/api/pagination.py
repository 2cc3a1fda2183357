from rest_framework.pagination import PageNumberPagination


class Halaman(PageNumberPagination):
    """Pages of 50 (`page_size` up to 200) with count, next, previous and results."""

    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
