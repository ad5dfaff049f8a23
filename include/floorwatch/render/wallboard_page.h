// The built-in wallboard served at GET /: one self-contained HTML page (no external
// assets) that polls /api/v1/queues and /api/v1/alerts every 2 s and shows every queue and
// channel in large type for a TV on the floor. Filters by query string:
// ?queue=sales-*&team=retail&site=berlin&channel=voice (globs on the queue name, exact
// label values).
#pragma once

#include <string_view>

namespace floorwatch {

std::string_view WallboardHtml();

}  // namespace floorwatch
