import { describeJourneys } from './journeys'

describeJourneys('canvas')
