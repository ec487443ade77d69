import { randomUUID } from 'node:crypto'
import { decodeJwt, jwtVerify, type JWTPayload } from 'jose'
import { z } from 'zod'
import { issuerOf, type SimulatorContext } from './context'
import { SimulatorError, validate } from './errors'
import { createLineItem, toPublicLineItem } from './line-item-store'
import { toolKeySet } from './tool-key-sets'
import type { DeepLinkResult } from './types'
import { DL_CLAIM, LTI_CLAIM } from './vocabulary'

const lineItemSchema = z.object({
  label: z.string().min(1).optional(),
  scoreMaximum: z.number().positive(),
  resourceId: z.string().optional(),
  tag: z.string().optional()
})

const contentItemSchema = z.looseObject({
  type: z.literal('ltiResourceLink'),
  title: z.string().optional(),
  url: z.url().optional(),
  lineItem: lineItemSchema.optional()
})

const responseSchema = z.looseObject({
  nonce: z.string().min(1),
  [`${LTI_CLAIM}/message_type`]: z.literal('LtiDeepLinkingResponse'),
  [`${LTI_CLAIM}/version`]: z.literal('1.3.0'),
  [`${LTI_CLAIM}/deployment_id`]: z.string().min(1),
  [`${DL_CLAIM}/data`]: z.string().min(1),
  [`${DL_CLAIM}/content_items`]: z.array(contentItemSchema).max(1, 'accept_multiple is false').default([]),
  [`${DL_CLAIM}/msg`]: z.string().optional(),
  [`${DL_CLAIM}/errormsg`]: z.string().optional()
})

async function verifyResponseJwt (ctx: SimulatorContext, jwt: string): Promise<{ clientId: string, claims: JWTPayload }> {
  let clientId: unknown
  try {
    clientId = decodeJwt(jwt).iss
  } catch {
    // Not a JWT: no tool is found, and the answer below says so.
  }
  const tool = typeof clientId === 'string' ? ctx.state.tools.get(clientId) : undefined
  if (tool === undefined) throw new SimulatorError(400, 'JWT: iss is not a registered client id', 'JWT')
  try {
    const { payload } = await jwtVerify(jwt, toolKeySet(ctx, tool.jwksUrl), {
      algorithms: ['RS256'], issuer: tool.clientId, audience: issuerOf(ctx), requiredClaims: ['exp', 'iat']
    })
    return { clientId: tool.clientId, claims: payload }
  } catch (error) {
    throw new SimulatorError(400, `JWT: ${(error as Error).message}`, 'JWT')
  }
}

/** Verifies an LtiDeepLinkingResponse, then creates the line items it asks for, as a platform would. */
export async function acceptDeepLinkResponse (ctx: SimulatorContext, jwt: string): Promise<DeepLinkResult> {
  const { clientId, claims: raw } = await verifyResponseJwt(ctx, jwt)
  const claims = validate(responseSchema, raw)
  const deploymentId = claims[`${LTI_CLAIM}/deployment_id`]
  const data = claims[`${DL_CLAIM}/data`]
  const request = ctx.state.deepLinkRequests.get(data)
  if (request === undefined || request.expiresAt <= Date.now() || request.clientId !== clientId) {
    throw new SimulatorError(400, 'data: does not echo a pending deep linking request', `${DL_CLAIM}/data`)
  }
  if (request.deploymentId !== deploymentId) {
    throw new SimulatorError(400, 'deployment_id: differs from the request', `${LTI_CLAIM}/deployment_id`)
  }
  ctx.state.deepLinkRequests.delete(data)
  const contentItems = claims[`${DL_CLAIM}/content_items`]
  const lineItems = contentItems.flatMap(item => item.lineItem === undefined
    ? []
    : [toPublicLineItem(createLineItem(ctx, request.courseId, {
        ...item.lineItem,
        label: item.lineItem.label ?? item.title ?? 'Untitled',
        resourceLinkId: `rl-${randomUUID()}`
      }, deploymentId))])
  const result: DeepLinkResult = {
    clientId,
    deploymentId,
    courseId: request.courseId,
    contentItems,
    lineItems,
    msg: claims[`${DL_CLAIM}/msg`],
    errormsg: claims[`${DL_CLAIM}/errormsg`]
  }
  ctx.state.deepLinkResults.push(result)
  return result
}
