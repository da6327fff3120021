// Frames are part of the shared profile model (profile/frame.h).
#pragma once

#include "profile/frame.h"
