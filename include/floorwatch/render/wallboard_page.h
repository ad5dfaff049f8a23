// The built-in wallboard served at GET /: one self-contained HTML page (no external
// assets) with three views, each polling its JSON every 2 s and shown in large type for a
// TV on the floor:
//  - the default, every queue and channel as a tile (/api/v1/queues, /api/v1/alerts).
//    Filters by query string: ?queue=sales-*&team=retail&site=berlin&channel=voice (globs on
//    the queue name, exact label values);
//  - ?view=escalations, the escalation desk (/api/v1/escalations);
//  - ?view=teams, every team grouped by vendor and market (/api/v1/teams), label filters
//    on the teams' labels (?vendor=vendor-a).
// The desk and team views show ?window=<label> (default `today`, else the first window).
// The page is built once from constant parts; any thread.
#pragma once

#include <string_view>

namespace floorwatch {

std::string_view WallboardHtml();

}  // namespace floorwatch
