// The core's models: the one place that lists them all. Adding a model is adding its files
// in models/ and one member here (and to all() and AllMeasures()).
//
// Order matters: the observers of an event type see it in this order, after its owner;
// sections are snapshotted in it; /metrics shows the models' families in it. A model may
// read the models before it through their const view (constructor arguments).
#pragma once

#include <array>
#include <span>
#include <vector>

#include "floorwatch/core/models/agents_model.h"
#include "floorwatch/core/models/closed_contacts_model.h"
#include "floorwatch/core/models/contacts_model.h"
#include "floorwatch/core/models/customers_model.h"
#include "floorwatch/core/models/escalations_model.h"
#include "floorwatch/core/models/feedback_model.h"
#include "floorwatch/core/models/forecast_model.h"
#include "floorwatch/core/models/intake_model.h"
#include "floorwatch/core/models/prediction_model.h"
#include "floorwatch/core/models/replies_model.h"
#include "floorwatch/core/models/resolution_model.h"
#include "floorwatch/core/models/service_level_model.h"
#include "floorwatch/core/models/sources_model.h"
#include "floorwatch/core/models/staffing_model.h"
#include "floorwatch/core/models/teams_model.h"

namespace floorwatch {

struct Models {
  Models(const Config& config, QueueDirectory& directory)
      : sources(config),
        intake(config, sources),
        contacts(config, directory),
        service_level(config, directory),
        agents(config, directory, contacts),
        resolution(config, directory, contacts, first_queued),
        replies(config, directory, contacts, first_queued),
        escalations(config, directory, contacts, service_level),
        customers(config, directory, contacts, service_level, resolution),
        closed_contacts(config, contacts, agents),
        feedback(config, directory, contacts, resolution, closed_contacts),
        teams(config, contacts, agents, closed_contacts),
        staffing(config, directory, intake, contacts, service_level, agents),
        forecast(config, directory, staffing),
        prediction(config, directory, intake, contacts, staffing) {}
  Models(const Models&) = delete;
  Models& operator=(const Models&) = delete;

  SourcesModel sources;                 // seq, gaps, replay holding
  IntakeModel intake;                   // what became of each message; duplicate ids
  ContactsModel contacts;               // contacts and waits
  ServiceLevelModel service_level;      // outcome counters, wait histogram, windows
  FirstQueuedTimes first_queued;        // not a model: per contact, shared by the next two
  AgentsModel agents;                   // agents and queue membership
  ResolutionModel resolution;           // how contacts end: abandon reasons, resolution time
  RepliesModel replies;                 // chat responsiveness: awaiting replies, reply times
  EscalationsModel escalations;         // open escalations, by queue/channel and escalation team
  CustomersModel customers;             // repeat contacts and repeat escalations
  ClosedContactsModel closed_contacts;  // what is remembered of closed contacts; segment teams
  FeedbackModel feedback;               // surveys and quality evaluations
  TeamsModel teams;                     // per team: handled, AHT, escalations, CSAT, NPS, quality
  StaffingModel staffing;               // Erlang C required agents, staffed agents, slots, wait
  ForecastModel forecast;               // the interval's forecast and schedule against the floor
  PredictionModel prediction;           // projected breaches, seconds to breach, projected SL

  std::array<Model*, 15> all() {
    return {&sources,    &intake,  &contacts,    &service_level, &agents,
            &resolution, &replies, &escalations, &customers,     &closed_contacts,
            &feedback,   &teams,   &staffing,    &forecast,      &prediction};
  }
  std::array<const Model*, 15> all() const {
    return {&sources,    &intake,  &contacts,    &service_level, &agents,
            &resolution, &replies, &escalations, &customers,     &closed_contacts,
            &feedback,   &teams,   &staffing,    &forecast,      &prediction};
  }
};

// Every alert measure a model offers, for the config loader (which has no core).
const std::vector<MeasureDef>& AllMeasures();
const MeasureDef* FindMeasureDef(std::string_view name);

}  // namespace floorwatch
