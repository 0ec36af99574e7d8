/** Networks, agents, the policy client and the user-behaviour simulator. */
package dev.kindling.agents;
