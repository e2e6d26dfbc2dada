"""Programme widgets for templates: the menus in the header and footer, the supporters in
the footer."""

from django import template
from django.utils.translation import gettext

from core.markup import date_label, html
from core.templatetags.portal import card_media, responsive_image
from core.templatetags.translated import in_english, untranslated_note
from programme.menus import SiteMenus, site_menus
from programme.models import group_by_kind

register = template.Library()


@register.simple_tag(takes_context=True)
def menus(context) -> SiteMenus:
    """The header's and footer's links (``{% menus as site_menus %}``): kept with the
    fragments, so a page whose header and footer are kept makes no query for them."""
    return site_menus(context.get("request"))


@register.filter
def current_link(site_menus: SiteMenus, path: str) -> str:
    """The address of the header link the page at `path` belongs under ("" for none)."""
    return site_menus.current(path)


@register.simple_tag
def nav_link(link, current: str):
    """A header link, marked as the current page's section when it is (`current`, from
    ``current_link``). A tag rather than an include: every page has the header's links."""
    lang = html(' lang="{}"', link.lang) if link.lang else ""
    if link.url == current:
        return html(
            '<li class="nav-item"><a class="nav-link active" aria-current="page" href="{}"{}>'
            "{}</a></li>",
            link.url,
            lang,
            link.label,
        )
    return html(
        '<li class="nav-item"><a class="nav-link" href="{}"{}>{}</a></li>',
        link.url,
        lang,
        link.label,
    )


@register.inclusion_tag("includes/_supporter_list.html", takes_context=True)
def supporter_list(context):
    """The published supporters under a heading per kind, for the footer of every page
    (read with the menus, in their one query)."""
    return {"groups": group_by_kind(site_menus(context.get("request")).supporters)}


@register.simple_tag
def residency(writer) -> str:
    """When `writer` is or was in residence (and where from, when shown), as one line; ""
    before a residency is recorded. A tag rather than an include: a strand lists every
    writer it has hosted (74 on the bench's data)."""
    if not writer.residency_start:
        return ""
    start = date_label(writer.residency_start, "YEAR_MONTH_FORMAT")
    if writer.residency_end:
        when = gettext("In residence %(start)s – %(end)s") % {
            "start": start,
            "end": date_label(writer.residency_end, "YEAR_MONTH_FORMAT"),
        }
    else:
        when = gettext("In residence since %(start)s") % {"start": start}
    country = writer.public_country
    if country:
        return html('<p class="meta">{} · {}</p>', when, country)
    return html('<p class="meta">{}</p>', when)


@register.simple_tag
def writer_feature(writer) -> str:
    """A writer in a list of writers (a strand's, the writers page, the home page): the
    portrait when shown, name, residency and summary. A tag rather than an include: a
    strand lists every writer it has hosted."""
    portrait = writer.public_portrait
    summary = (
        html(
            "<p{}>{}</p>{}",
            in_english(writer, "summary"),
            writer.summary,
            untranslated_note(writer, "summary"),
        )
        if writer.summary
        else ""
    )
    return html(
        '<article class="writer-feature{}">{}<div><h3><a href="{}">{}</a></h3>{}{}</div></article>',
        " writer-feature--portrait" if portrait else "",
        html(
            '<div class="writer-feature__portrait">{}</div>',
            responsive_image(writer, "portrait", sizes="8rem"),
        )
        if portrait
        else "",
        writer.get_absolute_url(),
        writer.name,
        residency(writer),
        summary,
    )


@register.simple_tag
def project_card(project) -> str:
    """A project in a list of projects (a strand's): picture, title, summary and who it is
    for. A tag rather than an include, as for every card repeated down a list."""
    audiences = (
        html(
            '<p class="meta">{} {}</p>',
            gettext("For:"),
            ", ".join(map(str, project.get_audience_labels())),
        )
        if project.audiences
        else ""
    )
    return html(
        '<article class="card strand-card h-100">{}<div class="card-body">'
        '<h3 class="card-title"><a class="stretched-link" href="{}"{}>{}</a></h3>'
        '<p class="card-text"{}>{}</p>{}{}</div></article>',
        card_media(project, project.strand, "(min-width: 992px) 30vw, 100vw"),
        project.get_absolute_url(),
        in_english(project, "title"),
        project.title,
        in_english(project, "summary"),
        project.summary,
        untranslated_note(project, "title", "summary"),
        audiences,
    )
