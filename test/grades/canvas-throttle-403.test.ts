import { describeThrottledPassback } from './canvas-throttle'

describeThrottledPassback(403)
