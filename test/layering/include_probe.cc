// Compiled by the Layers.* tests (test/CMakeLists.txt) with the flow layer's include roots
// only: headers of the flow layer and below must be found, a header of a higher layer must not.
#include "flow/flow_record.h"
#include "window/window_clock.h"
#ifdef BOTD_PROBE_UPWARD
#include "features/feature_set.h"
#endif
