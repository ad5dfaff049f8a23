// Renders GET /api/v1/queues: a JSON snapshot of every queue and channel, with the same
// figures as /metrics (shared formulas in figures.h). NaN ratios are null. Core thread.
#pragma once

#include <cstdint>
#include <string>

#include "floorwatch/core.h"

namespace floorwatch {

void RenderQueuesJson(const Core& core, int64_t now_ms, std::string& out);
void AppendJsonString(std::string& out, std::string_view value);

}  // namespace floorwatch
