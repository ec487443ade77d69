/**
 * What Mentorlink holds for the demo course before anyone launches (DEMO_STATE=seeded): the mentors' profiles and
 * the students' intakes. People are named by their LMS user id (demo-course.ts) or, for external mentors, by email.
 */

/**
 * The demo pool's tag vocabulary: mentors' expertise and students' interests are drawn from it, so pairing finds
 * shared tags (it compares tags case- and punctuation-insensitively).
 */
export const DEMO_TAGS = [
  'Contract negotiation',
  'Bargaining',
  'Oral persuasion',
  'Rhetoric',
  'Public speaking',
  'Board meetings',
  'Leadership',
  'Decision making',
  'Stakeholder management',
  'Networking',
  'Mergers and acquisitions',
  'Finance',
  'Procurement',
  'Supply chain',
  'Public affairs',
  'Entrepreneurship'
] as const
export type DemoTag = typeof DEMO_TAGS[number]

export interface DemoMentorProfile {
  organisation: string
  jobTitle: string
  expertise: DemoTag[]
  capacity: number
  bio: string
}

/** The mentors with the Mentor role in the demo LMS, by LMS user id: accepted into the pool, then their profile completed. */
export const DEMO_LMS_MENTOR_PROFILES: Record<string, DemoMentorProfile> = {
  'demo-mentor-1': {
    organisation: 'Castellan Foods',
    jobTitle: 'Vice President, Commercial Contracts',
    expertise: ['Contract negotiation', 'Bargaining', 'Procurement', 'Supply chain'],
    capacity: 3,
    bio: 'Has negotiated multi-year supply and distribution contracts across Europe for fifteen years. Takes mentees ' +
      'along to supplier negotiations as observers, then walks through every concession made at the table and why.'
  },
  'demo-mentor-2': {
    organisation: 'Nordhavn Shipping',
    jobTitle: 'Chief of Staff to the CEO',
    expertise: ['Board meetings', 'Leadership', 'Decision making', 'Stakeholder management'],
    capacity: 3,
    bio: 'Prepares the board and executive committee meetings of a listed shipping group. Mentees sit in on ' +
      'high-level meetings and learn how an agenda, a briefing note and a well-timed question move a decision.'
  },
  'demo-mentor-3': {
    organisation: 'Meridian Trust Bank',
    jobTitle: 'Director of Corporate Communications',
    expertise: ['Oral persuasion', 'Rhetoric', 'Public speaking', 'Public affairs'],
    capacity: 2,
    bio: 'Former speechwriter who now coaches the bank\'s executives before investor days and hearings. Works on ' +
      'oral persuasion and rhetoric with short rehearsals, recorded and replayed, until the argument carries itself.'
  }
}

/** Business people from outside the university, without an LMS account (invited by link once the instructor wants). */
export const DEMO_EXTERNAL_MENTORS: Array<DemoMentorProfile & { name: string, email: string }> = [
  {
    name: 'Catherine Wu',
    email: 'catherine.wu@harbourline-capital.example',
    organisation: 'Harbourline Capital',
    jobTitle: 'Managing Partner',
    expertise: ['Mergers and acquisitions', 'Finance', 'Contract negotiation', 'Networking'],
    capacity: 3,
    bio: 'Leads mid-market acquisitions from first meeting to signing. Invites mentees to due-diligence sessions and ' +
      'the final rounds of price negotiation, and introduces them to the founders, lawyers and bankers she works with.'
  },
  {
    name: 'Robert Alvarez',
    email: 'robert.alvarez@meridian-logistics.example',
    organisation: 'Meridian Logistics',
    jobTitle: 'Chief Procurement Officer',
    expertise: ['Procurement', 'Bargaining', 'Supply chain', 'Contract negotiation'],
    capacity: 2,
    bio: 'Runs a procurement team that buys freight capacity worth hundreds of millions a year. Teaches the principles ' +
      'of bargaining on real tenders: preparing a walk-away point, reading the other side and closing without rancour.'
  },
  {
    name: 'Ingrid Solberg',
    email: 'ingrid.solberg@nordvik-energy.example',
    organisation: 'Nordvik Energy',
    jobTitle: 'Director of Public Affairs',
    expertise: ['Public affairs', 'Stakeholder management', 'Oral persuasion', 'Networking'],
    capacity: 2,
    bio: 'Represents an energy company before ministries, regulators and local councils. Mentees join field trips to ' +
      'hearings and community meetings, and practise making a persuasive case to an audience that starts out sceptical.'
  },
  {
    name: 'Marcus Bennett',
    email: 'marcus.bennett@bennett-ode.example',
    organisation: 'Bennett & Ode Advisory',
    jobTitle: 'Founder and CEO',
    expertise: ['Entrepreneurship', 'Networking', 'Leadership', 'Decision making'],
    capacity: 3,
    bio: 'Built and sold two consultancies and now advises founders on growth. Helps mentees set short- and long-term ' +
      'career goals, and opens his network so that contacts made during the term are still useful after graduation.'
  }
]

export interface DemoIntake {
  organisation: string
  interests: DemoTag[]
  shortTermGoal: string
  longTermGoal: string
  /** Preferred mentors, most preferred first: an LMS user id (demo-mentor-n) or an external mentor's email. */
  ranking: string[]
}

/**
 * Intakes by student LMS user id. Students left out (demo-student-4 and demo-student-11) have none yet, so the
 * pairing preview flags them as paired on no information.
 */
export const DEMO_INTAKES: Record<string, DemoIntake> = {
  'demo-student-1': {
    organisation: 'Castellan Foods',
    interests: ['Contract negotiation', 'Supply chain', 'Bargaining'],
    shortTermGoal: 'Lead my first supplier contract renewal on my own this term, with a walk-away point agreed beforehand.',
    longTermGoal: 'Head the procurement function of a regional food group within five years.',
    ranking: ['robert.alvarez@meridian-logistics.example', 'demo-mentor-1']
  },
  'demo-student-2': {
    organisation: 'Vistula Software',
    interests: ['Entrepreneurship', 'Networking', 'Finance'],
    shortTermGoal: 'Pitch our seed round to three investors and handle their objections in the room.',
    longTermGoal: 'Found and run a software company that sells to enterprise customers.',
    ranking: ['marcus.bennett@bennett-ode.example', 'catherine.wu@harbourline-capital.example']
  },
  'demo-student-3': {
    organisation: 'Meridian Trust Bank',
    interests: ['Public speaking', 'Rhetoric', 'Leadership'],
    shortTermGoal: 'Present our quarterly results to the leadership team without reading from my notes.',
    longTermGoal: 'Lead a business unit and speak for it at board level.',
    ranking: []
  },
  'demo-student-5': {
    organisation: 'Kaiyo Pharmaceuticals',
    interests: ['Mergers and acquisitions', 'Finance', 'Board meetings'],
    shortTermGoal: 'Sit in on a due-diligence meeting and write up what each side wanted and conceded.',
    longTermGoal: 'Move into corporate development and lead an acquisition from first contact to integration.',
    ranking: ['catherine.wu@harbourline-capital.example']
  },
  'demo-student-6': {
    organisation: 'City of Riverton',
    interests: ['Public affairs', 'Stakeholder management', 'Oral persuasion'],
    shortTermGoal: 'Make a persuasive case for our transit budget to the council finance committee.',
    longTermGoal: 'Direct public affairs for a large infrastructure agency.',
    ranking: ['ingrid.solberg@nordvik-energy.example', 'demo-mentor-3']
  },
  'demo-student-7': {
    organisation: 'Nordvik Energy',
    interests: ['Leadership', 'Decision making', 'Board meetings'],
    shortTermGoal: 'Observe two high-level meetings and note how decisions are prepared, taken and recorded.',
    longTermGoal: 'Become chief operating officer of a company in the energy sector.',
    ranking: []
  },
  'demo-student-8': {
    organisation: 'Meridian Logistics',
    interests: ['Supply chain', 'Procurement', 'Networking'],
    shortTermGoal: 'Meet five logistics executives outside my company this term and follow up with each.',
    longTermGoal: 'Run the European operations of a logistics group.',
    ranking: ['demo-mentor-1']
  },
  'demo-student-9': {
    organisation: 'Brightwater Retail',
    interests: ['Bargaining', 'Contract negotiation', 'Oral persuasion'],
    shortTermGoal: 'Renegotiate the leases of our two city-centre stores on better terms than last year.',
    longTermGoal: 'Lead the commercial side of a national retail chain.',
    ranking: ['robert.alvarez@meridian-logistics.example', 'demo-mentor-1', 'demo-mentor-3']
  },
  'demo-student-10': {
    organisation: 'Costa & Filhos Exports',
    interests: ['Entrepreneurship', 'Finance', 'Bargaining'],
    shortTermGoal: 'Prepare for the bank negotiation on our family business\'s credit line.',
    longTermGoal: 'Take over the family export business and double its markets.',
    ranking: []
  },
  'demo-student-12': {
    organisation: 'Harbourline Capital',
    interests: ['Finance', 'Mergers and acquisitions', 'Rhetoric'],
    shortTermGoal: 'Defend an investment recommendation under questioning from the partners.',
    longTermGoal: 'Make partner at an investment firm.',
    ranking: ['demo-mentor-3']
  }
}
