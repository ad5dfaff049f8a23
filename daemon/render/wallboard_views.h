// Private to the render layer: the wallboard's views (wallboard_page.h). Each is a piece of CSS and
// a piece of script that registers the view in the page's VIEWS table (name -> title, JSON
// endpoints, render); wallboard_page.cpp puts them into the one page. Constant text, any thread.
#pragma once

#include <string_view>

namespace floorwatch::wallboard {

struct ViewPart {
  std::string_view style;
  std::string_view script;
};

ViewPart QueuesView();       // the default: a tile per queue/channel, /api/v1/queues
ViewPart EscalationsView();  // ?view=escalations, from /api/v1/escalations
ViewPart TeamsView();        // ?view=teams, from /api/v1/teams

}  // namespace floorwatch::wallboard
