'use strict';
// The target of task.json's Node24 and Node20_1 handlers. launcher.js does the work and says why it is plain Node.
require('./launcher').main();
