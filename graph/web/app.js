/* Start the companion once every view has registered. */
"use strict";

NLMG.start();
