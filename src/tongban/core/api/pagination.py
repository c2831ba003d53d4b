from rest_framework.pagination import PageNumberPagination


class CappedPagination(PageNumberPagination):
    """Pages of 20 by default; a client may ask for up to 100, never more (T-D5)."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100
