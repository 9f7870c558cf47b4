"""Public pages. Every view reads through the models' `public()` querysets."""

from django.views.generic import DetailView, ListView, TemplateView

from advocacy.models import Event, Group, Person, Source, Statement


class HomeView(TemplateView):
    template_name = "advocacy/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["counts"] = {
            "groups": Group.objects.public().count(),
            "people": Person.objects.public().count(),
            "events": Event.objects.public().count(),
            "statements": Statement.objects.public().count(),
            "sources": Source.objects.public().count(),
        }
        return context


class PublicListView(ListView):
    paginate_by = 50
    template_name = "advocacy/object_list.html"

    def get_queryset(self):
        return self.model.objects.public()


class PublicDetailView(DetailView):
    template_name = "advocacy/object_detail.html"

    def get_queryset(self):
        return self.model.objects.public()


class GroupListView(PublicListView):
    model = Group


class GroupDetailView(PublicDetailView):
    model = Group


class PersonListView(PublicListView):
    model = Person


class PersonDetailView(PublicDetailView):
    model = Person


class EventListView(PublicListView):
    model = Event


class EventDetailView(PublicDetailView):
    model = Event


class StatementListView(PublicListView):
    model = Statement


class StatementDetailView(PublicDetailView):
    model = Statement


class SourceListView(PublicListView):
    model = Source


class SourceDetailView(PublicDetailView):
    model = Source
