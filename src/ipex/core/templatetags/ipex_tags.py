from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    """``{{ errors|get_item:3 }}``: a dictionary's value in a template."""
    if not mapping:
        return None
    return mapping.get(key)
