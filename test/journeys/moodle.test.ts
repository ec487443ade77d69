import { describeJourneys } from './journeys'

describeJourneys('moodle')
