'use strict';
// An Application Load Balancer in moto_server (MOTO_SERVER, as .ci/run exports it) for the packaged task's tests:
// a listener forwarding to a blue target group, and a green one beside it, each with one registered target.
const assert = require('node:assert/strict');
const childProcess = require('node:child_process');
const net = require('node:net');

const REGION = 'eu-west-1';

const freePort = () => new Promise((resolve, reject) => {
  const server = net.createServer().listen(0, '127.0.0.1', () => {
    const { port } = server.address();
    server.close(() => resolve(port));
  }).on('error', reject);
});

const first = (xml, tag) => new RegExp(`<${tag}>([^<]+)</${tag}>`).exec(xml)?.[1];

/** Starts moto_server and creates the load balancer. Resolves to { endpoint, alb: { blue, green, listener }, elb, weights, stop }. */
async function startAlb(motoServer) {
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const moto = childProcess.spawn(motoServer, ['-H', '127.0.0.1', '-p', String(port)], { stdio: 'ignore' });

  // An AWS Query call. moto routes by the service in the credential scope and does not check the signature.
  async function query(service, version, action, parameters) {
    const body = new URLSearchParams({ Action: action, Version: version, ...parameters });
    const response = await fetch(endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20260101/${REGION}/${service}/aws4_request, SignedHeaders=host, Signature=0`,
      },
      body,
    });
    const text = await response.text();
    assert.ok(response.ok, `${action}: HTTP ${response.status} ${text}`);
    return text;
  }
  const ec2 = (action, parameters) => query('ec2', '2016-11-15', action, parameters);
  const elb = (action, parameters) => query('elasticloadbalancing', '2015-12-01', action, parameters);

  try {
    for (let i = 0; ; i++) {
      try {
        await elb('DescribeLoadBalancers', {});
        break;
      } catch (error) {
        if (i > 300) throw error;
        await new Promise((r) => setTimeout(r, 100));
      }
    }

    const vpc = first(await ec2('CreateVpc', { CidrBlock: '10.0.0.0/16' }), 'vpcId');
    const subnets = [];
    for (const [cidr, zone] of [['10.0.1.0/24', 'a'], ['10.0.2.0/24', 'b']]) {
      subnets.push(first(await ec2('CreateSubnet', { VpcId: vpc, CidrBlock: cidr, AvailabilityZone: REGION + zone }), 'subnetId'));
    }
    const lb = first(await elb('CreateLoadBalancer', { Name: 'shop-alb', 'Subnets.member.1': subnets[0], 'Subnets.member.2': subnets[1], Type: 'application' }), 'LoadBalancerArn');
    const alb = {};
    for (const [side, ip] of [['blue', '10.0.1.10'], ['green', '10.0.2.10']]) {
      alb[side] = first(await elb('CreateTargetGroup', { Name: `shop-${side}`, Protocol: 'HTTP', Port: '8080', VpcId: vpc, TargetType: 'ip', HealthCheckPath: '/healthz' }), 'TargetGroupArn');
      await elb('RegisterTargets', { TargetGroupArn: alb[side], 'Targets.member.1.Id': ip, 'Targets.member.1.Port': '8080' });
    }
    alb.listener = first(await elb('CreateListener', {
      LoadBalancerArn: lb, Protocol: 'HTTP', Port: '80', 'DefaultActions.member.1.Type': 'forward', 'DefaultActions.member.1.TargetGroupArn': alb.blue,
    }), 'ListenerArn');

    /** The listener's forward weights, as { targetGroupArn: weight }; a plain forward counts as weight 1 for its one group. */
    async function weights() {
      const xml = await elb('DescribeListeners', { 'ListenerArns.member.1': alb.listener });
      const result = {};
      for (const match of xml.matchAll(/<member>\s*<TargetGroupArn>([^<]+)<\/TargetGroupArn>\s*<Weight>(\d+)<\/Weight>/g)) result[match[1]] = Number(match[2]);
      if (Object.keys(result).length === 0) {
        const single = first(xml, 'TargetGroupArn');
        if (single) result[single] = 1;
      }
      return result;
    }

    return { endpoint, region: REGION, alb, elb, weights, stop: () => moto.kill('SIGKILL') };
  } catch (error) {
    moto.kill('SIGKILL');
    throw error;
  }
}

/** A canary spec on that load balancer; `extra` is appended (hooks, a pause). */
function canarySpec({ endpoint, region, alb }, steps, extra = '') {
  return `name: shop
platform:
  type: awsAlb
  awsAlb:
    region: ${region}
    endpointUrl: ${endpoint}
    listenerArn: ${alb.listener}
    targetGroupArns: [${alb.blue}, ${alb.green}]
strategy:
  canary:
    steps:
${steps.map((s) => `      - ${s}`).join('\n')}
timeouts: { healthy: 30s, total: 2m }
${extra}`;
}

module.exports = { REGION, startAlb, canarySpec };
