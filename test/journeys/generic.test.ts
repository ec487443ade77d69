import { describeJourneys } from './journeys'

describeJourneys('generic')
