// The outcome memories' bench modes of floorwatch-core-bench (outcome_memory.cpp): RSS per
// remembered customer and per remembered closed contact, through a real Core.
#pragma once

namespace floorwatch::bench {

// N new contacts of N distinct customers, each abandoned at once (so no contact stays held).
int CustomersMemory(long n);
// N distinct contacts queued, answered by an agent of a team, ended and wrapped.
int ClosedContactsMemory(long n);

}  // namespace floorwatch::bench
